package app.caravel.config;

/** A configuration value that cannot be used; the message always names the environment variable. */
public class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
