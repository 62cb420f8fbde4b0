package app.caravel.jobs;

import org.jobrunr.server.JobActivator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JobRunr's activator: job requests name a handler class, and this registry hands out the one instance
 * the application built for it (with its dependencies injected through its constructor).
 */
public final class JobHandlers implements JobActivator {
    private final Map<Class<?>, Object> handlers = new ConcurrentHashMap<>();

    public <T> void register(Class<T> type, T handler) {
        handlers.put(type, handler);
    }

    @Override
    public <T> T activateJob(Class<T> type) {
        Object handler = handlers.get(type);
        if (handler == null) {
            throw new IllegalStateException("no handler registered for " + type.getName());
        }
        return type.cast(handler);
    }
}
