package io.lockstep.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The platform's Kubernetes API. The client is built on first use from the configured kubeconfig,
 * then shared; fabric8's client is thread-safe.
 */
@Component
public class Kubernetes implements DisposableBean {

  /** The Deployment whose namespace is the business applications' namespace (P1). */
  public static final String APP_MARKER_DEPLOYMENT = "deploy-service";

  private final KubernetesProperties properties;
  private volatile KubernetesClient client;

  @Autowired
  Kubernetes(KubernetesProperties properties) {
    this.properties = properties;
  }

  /** A facade over a client built elsewhere (tests, tools); it is closed with this facade. */
  public Kubernetes(KubernetesProperties properties, KubernetesClient client) {
    this.properties = properties;
    this.client = client;
  }

  /** The shared client. */
  public KubernetesClient client() {
    KubernetesClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          client = new KubernetesClientBuilder().withConfig(config()).build();
        }
        c = client;
      }
    }
    return c;
  }

  /** The namespace of the base components. */
  public String resourceNamespace() {
    return properties.resourceNamespace();
  }

  /**
   * The business applications' namespace: the one holding Deployment {@code deploy-service},
   * else the configured fallback.
   */
  public String appNamespace() {
    return client().apps().deployments().inAnyNamespace().list().getItems().stream()
        .filter(d -> APP_MARKER_DEPLOYMENT.equals(d.getMetadata().getName()))
        .map(Deployment::getMetadata)
        .map(m -> m.getNamespace())
        .findFirst()
        .orElse(properties.appNamespaceFallback());
  }

  /** Where the API is, for display ({@code https://10.0.0.1:6443}). */
  public String apiUrl() {
    return client().getMasterUrl().toString();
  }

  private Config config() {
    return config(properties, properties.context());
  }

  /**
   * The client settings for {@code context} of the configured kubeconfig (fabric8's discovery when
   * none is configured): the host cluster's, and each Kosmos member's ({@link MemberClusters}).
   */
  static Config config(KubernetesProperties properties, String context) {
    int timeout = (int) properties.requestTimeout().toMillis();
    Config config;
    if (properties.kubeconfig() != null) {
      try {
        String content = Files.readString(properties.kubeconfig());
        config = Config.fromKubeconfig(context, content, properties.kubeconfig().toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read kubeconfig " + properties.kubeconfig(), e);
      }
    } else {
      config = Config.autoConfigure(context);
    }
    config.setRequestTimeout(timeout);
    // fabric8 retries a refused connection or a 5xx ten times, backing off up to ~100 s in all: a
    // page or a step would hang that long while the API is down (P4). Two quick retries ride out
    // a blip; steps that must outlast an outage wait for the API themselves and say so.
    config.setRequestRetryBackoffLimit(2);
    config.setConnectionTimeout(Math.min(timeout, 10_000));
    return config;
  }

  @Override
  public void destroy() {
    KubernetesClient c = client;
    if (c != null) {
      c.close();
    }
  }
}
