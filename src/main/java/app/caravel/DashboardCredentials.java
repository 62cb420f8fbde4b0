package app.caravel;

import java.security.SecureRandom;
import java.util.Base64;

/** The dashboard's basic-auth pair; with no password configured, a one-time one is generated for this run. */
public record DashboardCredentials(String user, String password, boolean generated) {

    public static DashboardCredentials from(CaravelConfiguration config) {
        String user = config.dashboardUser().orElse("admin");
        return config.dashboardPassword()
                .map(password -> new DashboardCredentials(user, password, false))
                .orElseGet(() -> {
                    byte[] random = new byte[18];
                    new SecureRandom().nextBytes(random);
                    return new DashboardCredentials(user,
                            Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
                });
    }

    @Override
    public String toString() {
        return "DashboardCredentials[user=" + user + ", password=<redacted>]";
    }
}
