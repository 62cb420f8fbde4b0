package app.caravel.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * Once a state-changing request's answer is decided, and before it is sent, its NIP-98 signature is claimed
 * if no transaction of the request did ({@link ReplayCache#settle}): a replay sent after the answer is refused.
 */
public final class ReplaySettleFilter implements ContainerResponseFilter {
    private final ReplayCache replays;

    public ReplaySettleFilter(ReplayCache replays) {
        this.replays = replays;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        replays.settle();
    }
}
