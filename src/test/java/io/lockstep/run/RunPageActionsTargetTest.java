package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An action's answer on the run page is its refusal plus every live part as an out-of-band swap
 * ({@code run :: acted}): its main content is only the refusal, so every button that posts must put
 * that content into a refusal place, never around the parts. A button that targeted the page's
 * container with {@code outerHTML} wiped the whole run screen after "Start the cluster again"
 * (ClusterRestartIT found it in Chromium).
 */
class RunPageActionsTargetTest {

  private static final Pattern TAG = Pattern.compile("<(?:button|form|a)\\b[^>]*hx-post=[^>]*>", Pattern.DOTALL);
  private static final Pattern TARGET = Pattern.compile("hx-target=\"([^\"]*)\"");
  private static final Pattern SWAP = Pattern.compile("\\shx-swap=\"([^\"]*)\"");

  @Test
  void everyPostOnTheRunPageAnswersIntoARefusalPlace() throws IOException {
    String html = Files.readString(Path.of("frontend/templates/run/run.html"));
    Matcher tag = TAG.matcher(html);
    List<String> posts = new ArrayList<>();
    while (tag.find()) {
      String t = tag.group();
      posts.add(t);
      Matcher target = TARGET.matcher(t);
      assertThat(target.find()).as("a target for %s", t).isTrue();
      assertThat(target.group(1)).as(t).matches("#run-refusal|#refusal-[a-z-]+|\\$\\{'#refusal-.*");
      Matcher swap = SWAP.matcher(t);
      assertThat(swap.find() ? swap.group(1) : "innerHTML").as(t).isEqualTo("innerHTML");
    }
    assertThat(posts).as("the run page's buttons and forms that post").hasSizeGreaterThan(8);
  }
}
