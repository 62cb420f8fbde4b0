package app.caravel.api;

import java.security.Principal;

/** Whoever signed the request's NIP-98 event. */
public record Caller(String pubkey, boolean admin) implements Principal {
    @Override
    public String getName() {
        return pubkey;
    }
}
