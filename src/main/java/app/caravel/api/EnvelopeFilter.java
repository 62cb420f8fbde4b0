package app.caravel.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * Wraps every successful answer of a resource in {@code {"data": …, "code": "ok"}}, so resources return plain
 * values. The OpenAPI document is not an API answer but a file for tools, and is served as it is; bytes are
 * an envelope rendered already (a tenant's relay list, kept rendered: TenantRelayLists).
 */
public final class EnvelopeFilter implements ContainerResponseFilter {
    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object entity = response.getEntity();
        if (response.getStatus() >= 300 || entity == null || entity instanceof Envelope.Data
                || entity instanceof Envelope.Error || entity instanceof byte[] || resource.getResourceClass() == OpenApiResource.class) {
            return;
        }
        response.setEntity(new Envelope.Data(entity), response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
    }
}
