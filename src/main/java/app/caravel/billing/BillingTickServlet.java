package app.caravel.billing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;

/**
 * {@code POST /tasks/billing-tick} on the admin port: a billing tick and a collection run now, to completion
 * ({@link BillingRun}), answering the counts. With
 * BILLING_ALLOW_AT=true, {@code at=<unix seconds>} bills as of that instant (tests, dev); otherwise
 * {@code at} is refused with 400.
 */
public class BillingTickServlet extends HttpServlet {
    private final transient BillingRun billing;
    private final transient Clock clock;
    private final boolean allowAt;

    public BillingTickServlet(BillingRun billing, Clock clock, boolean allowAt) {
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
        try {
            response.getWriter().println(billing.run(when));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.setStatus(503);
            response.getWriter().println("{\"error\":\"interrupted\"}");
        }
    }

    private static void fail(HttpServletResponse response, String message) throws IOException {
        response.setStatus(400);
        response.getWriter().println("{\"error\":\"" + message + "\"}");
    }
}
