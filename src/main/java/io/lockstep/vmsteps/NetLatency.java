package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.ssh.RemoteCommand;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code net.latency}: {@code fping -e HOST…} from one host, and a failure when a peer does not
 * answer or answers slower than {@code max} (P5 startup step 2: "anything that slows down
 * communications must be investigated"). The run stops there; an operator looks, then retries.
 */
@Component
class NetLatency implements StepExecutor {

  static final String TYPE = "net.latency";
  private static final Pattern ALIVE = Pattern.compile("^(\\S+) is alive \\(([0-9.]+) ms\\)");
  private static final Pattern DOWN = Pattern.compile("^(\\S+) is unreachable");

  private final RemoteCapture remote;

  NetLatency(RemoteCapture remote) {
    this.remote = remote;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(2);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    VmParams p = VmParams.of(TYPE, params, "on", "hosts", "max");
    return StepPreview.of(Line.of("preview.vm.netLatency", "on {0}: {1}; fails when one does not answer or takes more"
        + " than {2} ms", p.host("on"), "fping -e " + String.join(" ", p.hosts("hosts")),
        p.duration("max", Duration.ofMillis(100)).toMillis()));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    VmParams p = VmParams.of(TYPE, context.params(), "on", "hosts", "max");
    String on = p.host("on");
    List<String> hosts = p.hosts("hosts");
    long max = p.duration("max", Duration.ofMillis(100)).toMillis();
    List<String> argv = new ArrayList<>(List.of("fping", "-e"));
    argv.addAll(hosts);
    RemoteCapture.Output out = remote.run(context, on, new RemoteCommand(argv), FleetUnits.COMMAND);
    if (!out.ran()) {
      throw new StepFailedException("fping on " + on + " could not run: " + out.described());
    }
    Map<String, BigDecimal> answered = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String line : (out.out() + out.err()).lines().toList()) {
      context.out(on, line);
      Matcher alive = ALIVE.matcher(line.strip());
      Matcher down = DOWN.matcher(line.strip());
      if (alive.find()) {
        answered.put(alive.group(1), new BigDecimal(alive.group(2)));
      } else if (down.find()) {
        problems.add(down.group(1) + " does not answer");
      }
    }
    for (String host : hosts) {
      BigDecimal ms = answered.get(host);
      if (ms == null && problems.stream().noneMatch(pr -> pr.startsWith(host + " "))) {
        problems.add(host + " gave no answer fping reported");
      } else if (ms != null && ms.compareTo(BigDecimal.valueOf(max)) > 0) {
        problems.add(host + " answered in " + ms.stripTrailingZeros().toPlainString() + " ms, more than " + max + " ms");
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException("slow or missing answers from " + on + ": " + String.join("; ", problems)
          + " — investigate (network, DNS) before the volumes start");
    }
    return context.said(Line.of("summary.vm.netLatency", "{0} hosts answer within {1} ms (slowest {2} ms)", hosts.size(),
        max, answered.values().stream().max(BigDecimal::compareTo).map(b -> b.stripTrailingZeros().toPlainString())
            .orElse("?")));
  }
}
