// The JobRunr dashboard as an operator sees it, in headless Chromium (Debian's, by executablePath).
// Input (environment): DASHBOARD_URL, DASHBOARD_USER, DASHBOARD_PASSWORD, CHROMIUM, EXPECT_JOB (a job name part),
// SECRETS (comma-separated strings no page may show). Prints one JSON line of what it saw.
import { chromium } from 'playwright-core';

const base = process.env.DASHBOARD_URL;
const secrets = (process.env.SECRETS || '').split(',').filter(s => s.length > 0);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
const seen = { anonymousStatus: null, recurring: [], jobFound: false, pages: [], leaks: [] };
try {
  // without credentials: the server answers 401, and the browser shows no dashboard
  const anonymous = await browser.newContext();
  seen.anonymousStatus = (await anonymous.request.get(base + '/dashboard/overview')).status();
  seen.anonymousApiStatus = (await anonymous.request.get(base + '/api/jobs?state=SUCCEEDED')).status();
  try {
    await (await anonymous.newPage()).goto(base + '/dashboard/overview');
    seen.anonymousPage = 'shown';
  } catch (e) {
    seen.anonymousPage = 'refused';
  }
  await anonymous.close();

  const operator = await browser.newContext({
    httpCredentials: { username: process.env.DASHBOARD_USER, password: process.env.DASHBOARD_PASSWORD } });
  const page = await operator.newPage();
  const visit = async (path, waitFor) => {
    const answer = await page.goto(base + path);
    if (waitFor) {
      await page.getByText(waitFor, { exact: false }).first().waitFor({ timeout: 15000 });
    } else {
      await page.waitForLoadState('networkidle');
    }
    const text = await page.locator('body').innerText();
    seen.pages.push({ path, status: answer.status(), length: text.length });
    for (const secret of secrets) {
      if (text.includes(secret) || (await page.content()).includes(secret)) {
        seen.leaks.push(path);
      }
    }
    return text;
  };
  const recurring = await visit('/dashboard/recurring-jobs', 'billing-tick');
  seen.recurring = ['billing-tick', 'collect-invoices', 'reconcile-relays', 'heal-relays', 'sweep-messages']
    .filter(id => recurring.includes(id));
  for (const state of ['SUCCEEDED', 'ENQUEUED', 'PROCESSING', 'FAILED', 'SCHEDULED']) {
    const text = await visit('/dashboard/jobs?state=' + state);
    if (text.includes(process.env.EXPECT_JOB)) {
      seen.jobFound = true;
    }
  }
  await visit('/dashboard/overview');
  await visit('/dashboard/servers');
} finally {
  await browser.close();
}
console.log(JSON.stringify(seen));
