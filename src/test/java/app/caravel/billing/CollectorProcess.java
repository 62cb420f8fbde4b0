package app.caravel.billing;

import app.caravel.db.Database;
import app.caravel.nostr.NwcClient;
import app.caravel.nostr.NwcUri;
import app.caravel.nostr.RelayPool;
import app.caravel.robot.RobotNotifier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A separate JVM that runs one collection over an existing database file, for the test that kills it in
 * the middle of a payment. Args: DATABASE_URL, platform NWC URI, unix time to collect at.
 */
public final class CollectorProcess {
    public static void main(String[] args) throws Exception {
        Database db = app.caravel.support.TestDatabase.existing(args[0]).db();
        RelayPool pool = new RelayPool(HttpClient.newHttpClient(), Duration.ofSeconds(2));
        Wallets wallets = new Wallets(new NwcClient(pool, Clock.systemUTC(), Duration.ofSeconds(60)));
        RobotNotifier notifier = new RobotNotifier(null, Clock.systemUTC(), false);
        Collector collector = new Collector(db, Optional.of(NwcUri.parse(args[1])), wallets, notifier,
                new RelayStanding(null, notifier, RelayStanding.hosts("")), Duration.ofDays(7));
        System.out.println("collecting");
        System.out.println(collector.collect(Long.parseLong(args[2])));
        System.exit(0);
    }
}
