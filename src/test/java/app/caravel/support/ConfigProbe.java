package app.caravel.support;

import app.caravel.CaravelConfiguration;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;

/**
 * Run in a JVM whose environment holds real-looking settings: reads a test app's configuration exactly as the
 * app's bootstrap does (environment substitution included) and prints what a test app would talk to.
 */
public final class ConfigProbe {
    public static void main(String[] args) throws Exception {
        CaravelConfiguration config = new YamlConfigurationFactory<>(CaravelConfiguration.class,
                Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                        new EnvironmentVariableSubstitutor(false)), TestApps.configPath());
        System.out.println("zooid=" + config.zooidApiUrl().orElse("") + " nwc=" + config.nwcUrl().isPresent()
                + " robot=" + config.robotSecret().isPresent() + " outbox=" + config.robotOutboxRelays()
                + " database=" + config.databasePath().getFileName());
    }
}
