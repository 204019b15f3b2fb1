package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/** Where an htmx login returns to: a page of this console only, never an open redirect. */
class HtmxLoginTest {

  private static MockHttpServletRequest request() {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/runs/run-1/phases/one/approve");
    request.setScheme("https");
    request.setServerName("console.example");
    request.setServerPort(8443);
    request.addHeader("HX-Request", "true");
    return request;
  }

  @Test
  void aPageOfThisConsoleIsReturnedTo() {
    assertThat(HtmxLogin.sameOriginPath(request(), "https://console.example:8443/runs/run-1")).isEqualTo("/runs/run-1");
    assertThat(HtmxLogin.sameOriginPath(request(), "https://CONSOLE.example:8443/plans/plan-2?x=1")).isEqualTo("/plans/plan-2?x=1");
  }

  @Test
  void anythingElseIsNot() {
    for (String url : new String[] {null, "", "/runs/run-1", "//evil.example/runs", "https://evil.example:8443/runs/run-1",
        "https://console.example:9443/runs/run-1", "http://console.example:8443/runs/run-1",
        "https://user@console.example:8443/runs/run-1", "https://console.example:8443//evil.example/x",
        "https://console.example:8443/login?error", "https://console.example:8443/a\\b", "javascript:alert(1)",
        "https://console.example:8443/" + "x".repeat(2100)}) {
      assertThat(HtmxLogin.sameOriginPath(request(), url)).as(String.valueOf(url)).isNull();
    }
  }

  @Test
  void theEntryPointAnswers401WithHxRedirectAndRemembersThePage() throws Exception {
    MockHttpServletRequest request = request();
    request.addHeader("HX-Current-URL", "https://console.example:8443/runs/run-1");
    MockHttpServletResponse response = new MockHttpServletResponse();
    new HtmxLogin("/login?expired").commence(request, response, new InsufficientAuthenticationException("gone"));
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("HX-Redirect")).isEqualTo("/login?expired");
    assertThat(new HttpSessionRequestCache().getRequest(request, response).getRedirectUrl()).isEqualTo("/runs/run-1");
  }

  @Test
  void onlyPagesAPersonOpenedAreSavedByTheRequestCache() {
    MockHttpServletRequest page = new MockHttpServletRequest("GET", "/runs/run-1");
    page.addHeader("Sec-Fetch-Dest", "document");
    assertThat(HtmxLogin.PAGE_GET.matches(page)).isTrue();
    MockHttpServletRequest badge = new MockHttpServletRequest("GET", "/approvals/badge");
    badge.addHeader("HX-Request", "true");
    assertThat(HtmxLogin.PAGE_GET.matches(badge)).isFalse();
    MockHttpServletRequest stream = new MockHttpServletRequest("GET", "/runs/events");
    stream.addHeader("Accept", "text/event-stream");
    assertThat(HtmxLogin.PAGE_GET.matches(stream)).isFalse();
    MockHttpServletRequest fetch = new MockHttpServletRequest("GET", "/kubernetes/api-status");
    fetch.addHeader("Sec-Fetch-Dest", "empty");
    assertThat(HtmxLogin.PAGE_GET.matches(fetch)).isFalse();
    assertThat(HtmxLogin.PAGE_GET.matches(new MockHttpServletRequest("POST", "/runs"))).isFalse();
  }
}
