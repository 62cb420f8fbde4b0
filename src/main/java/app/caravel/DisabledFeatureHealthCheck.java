package app.caravel;

import com.codahale.metrics.health.HealthCheck;

/** A feature switched off by configuration is not a failure: the check says it is off and why. */
public class DisabledFeatureHealthCheck extends HealthCheck {
    private final Feature feature;

    public DisabledFeatureHealthCheck(Feature feature) {
        this.feature = feature;
    }

    @Override
    protected Result check() {
        return Result.healthy("disabled: " + feature.detail());
    }
}
