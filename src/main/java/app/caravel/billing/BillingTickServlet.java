package app.caravel.billing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;

/**
 * {@code POST /tasks/billing-tick} on the admin port: a billing tick and a collection run now. With
 * BILLING_ALLOW_AT=true, {@code at=<unix seconds>} bills as of that instant (tests, dev); otherwise
 * {@code at} is refused with 400.
 */
public class BillingTickServlet extends HttpServlet {
    private final transient BillingJobs billing;
    private final transient Clock clock;
    private final boolean allowAt;

    public BillingTickServlet(BillingJobs billing, Clock clock, boolean allowAt) {
        this.billing = billing;
        this.clock = clock;
        this.allowAt = allowAt;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        String at = request.getParameter("at");
        long when = clock.instant().getEpochSecond();
        if (at != null) {
            if (!allowAt) {
                fail(response, "at= is refused unless BILLING_ALLOW_AT=true");
                return;
            }
            try {
                when = Long.parseLong(at.trim());
            } catch (NumberFormatException e) {
                fail(response, "at must be unix seconds");
                return;
            }
        }
        response.getWriter().println(billing.runNow(when));
    }

    private static void fail(HttpServletResponse response, String message) throws IOException {
        response.setStatus(400);
        response.getWriter().println("{\"error\":\"" + message + "\"}");
    }
}
