package app.caravel.infra;

import com.codahale.metrics.health.HealthCheck;

/**
 * zooid reachable and accepting our key: a signed PATCH of a relay id that never exists changes nothing
 * and must come back 404 (a 401/403 means our pubkey is not on zooid's whitelist).
 */
public class ZooidHealthCheck extends HealthCheck {
    private final ZooidClient zooid;

    public ZooidHealthCheck(ZooidClient zooid) {
        this.zooid = zooid;
    }

    @Override
    protected Result check() throws Exception {
        ZooidClient.Answer answer = zooid.probe();
        if (answer.reachable()) {
            return Result.healthy("reachable, key accepted");
        }
        return Result.unhealthy("zooid answered " + answer.status() + ": " + answer.error());
    }
}
