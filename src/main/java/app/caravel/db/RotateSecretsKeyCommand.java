package app.caravel.db;

import app.caravel.CaravelConfiguration;
import app.caravel.config.ConfigException;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar caravel.jar rotate-secrets-key --new-key-file <file> config.yml}: re-seals every sealed secret
 * from the current key (SECRETS_KEY or where it is derived from) to the new one. Resumable: killed half-way,
 * run it again. Stop the servers first; start them with SECRETS_KEY set to the new key after. The new key is read
 * from a file so it never sits in the shell history; neither key is ever printed.
 */
public class RotateSecretsKeyCommand extends ConfiguredCommand<CaravelConfiguration> {
    public RotateSecretsKeyCommand() {
        super("rotate-secrets-key", "Re-seal every stored secret with a new SECRETS_KEY (servers stopped)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--new-key-file").dest("newKeyFile").required(true)
                .help("a file holding the new key: 64 hex characters");
    }

    @Override
    protected void run(Bootstrap<CaravelConfiguration> bootstrap, Namespace namespace, CaravelConfiguration config)
            throws Exception {
        config.validate();
        SecretBox from = SecretsKeys.resolve(config).box();
        String hex = Files.readString(Path.of(namespace.getString("newKeyFile"))).strip().toLowerCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new ConfigException("SECRETS_KEY", "the new key file must hold 64 hex characters");
        }
        SecretBox to = new SecretsKeys.Key(hex, "the new key file").box();
        ManagedDataSource dataSource = config.dataSourceFactory().build(new MetricRegistry(), "rotate");
        try {
            SecretsAtRest.Rotation done = SecretsAtRest.rotate(Jdbi.create(dataSource), from, to);
            System.out.println("re-sealed " + done.resealed() + " secrets (" + done.alreadyNew()
                    + " were under the new key already); start the servers with SECRETS_KEY set to the new key");
        } finally {
            dataSource.stop();
        }
    }
}
