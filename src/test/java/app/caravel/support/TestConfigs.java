package app.caravel.support;

import app.caravel.CaravelConfiguration;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads the real config.yml with a chosen environment (never the shell's), through the same substitution the app uses. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static CaravelConfiguration load(Map<String, String> env) throws Exception {
        return new YamlConfigurationFactory<>(CaravelConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor(env)), configFile());
    }

    /** config.yml with each {@code ${VAR:-default}} taken from {@code env} or its default, never from the shell. */
    public static String render(Map<String, String> env) throws IOException {
        return substitutor(env).replace(Files.readString(Path.of(configFile())));
    }

    /** The project's config.yml; a child JVM started in another folder is told where it is (caravel.config). */
    public static String configFile() {
        return System.getProperty("caravel.config", "config.yml");
    }

    private static StringSubstitutor substitutor(Map<String, String> env) {
        StringSubstitutor substitutor = new StringSubstitutor(StringLookupFactory.INSTANCE.mapStringLookup(env));
        substitutor.setEnableUndefinedVariableException(false);
        return substitutor;
    }
}
