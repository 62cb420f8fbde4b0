package app.caravel.infra;

/** Converges zooid to one relay's row. */
public interface RelaySync {
    void sync(String relayId) throws Exception;
}
