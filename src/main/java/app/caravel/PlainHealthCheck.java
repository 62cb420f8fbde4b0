package app.caravel;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;

/**
 * A health check whose answer is a sentence, never a stack trace: a check that throws (or returns an error)
 * is reported as unhealthy with the exception's type and message, and the trace stays in the process.
 */
final class PlainHealthCheck extends HealthCheck {
    private final HealthCheck delegate;

    private PlainHealthCheck(HealthCheck delegate) {
        this.delegate = delegate;
    }

    /** Wraps every check registered so far. */
    static void wrapAll(HealthCheckRegistry registry) {
        for (String name : registry.getNames()) {
            HealthCheck check = registry.getHealthCheck(name);
            if (!(check instanceof PlainHealthCheck)) {
                registry.unregister(name);
                registry.register(name, new PlainHealthCheck(check));
            }
        }
    }

    @Override
    protected Result check() {
        Result result = delegate.execute();
        Throwable error = result.getError();
        if (error == null) {
            return result;
        }
        String why = result.getMessage() != null && !result.getMessage().equals(error.getMessage())
                ? result.getMessage() : error.getClass().getSimpleName() + (error.getMessage() == null ? ""
                : ": " + error.getMessage());
        return result.isHealthy() ? Result.healthy(why) : Result.unhealthy(why);
    }
}
