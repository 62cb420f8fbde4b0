package app.caravel.infra;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/resync-relays} on the admin port: a sync job for every relay. */
public class ResyncRelaysTask extends Task {
    private final RelayReconciler reconciler;

    public ResyncRelaysTask(RelayReconciler reconciler) {
        super("resync-relays");
        this.reconciler = reconciler;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println("enqueued " + reconciler.resyncAll() + " relay syncs");
    }
}
