package app.caravel.support;

import app.caravel.CaravelConfiguration;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;

import java.util.Map;

/** Reads the real config.yml with a chosen environment, through the same substitution the app uses. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static CaravelConfiguration load(Map<String, String> env) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(env));
        substitutor.setEnableUndefinedVariableException(false);
        return new YamlConfigurationFactory<>(CaravelConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor), "config.yml");
    }
}
