package app.caravel.infra;

/** A sync that failed in a way a retry may fix (zooid down, 5xx, our key refused); JobRunr retries it. */
public class ZooidSyncException extends Exception {
    public ZooidSyncException(String message) {
        super(message);
    }
}
