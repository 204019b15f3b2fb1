package io.lockstep.kubernetes;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the console reaches the platform's Kubernetes API.
 *
 * @param kubeconfig the kubeconfig file; when absent, fabric8's usual discovery applies
 *     ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account)
 * @param context the kubeconfig context to use (its current context when absent)
 * @param appNamespaceFallback the business applications' namespace when no Deployment
 *     {@code deploy-service} exists anywhere (P1: the real namespace is the one holding it)
 * @param resourceNamespace the namespace of the base components (Helm releases, operator CRs)
 * @param requestTimeout how long one API request may take
 * @param members the clusters joined to this one by Kosmos (P6), by name, each with the kubeconfig
 *     context that reaches it
 */
@Validated
@ConfigurationProperties("lockstep.kubernetes")
public record KubernetesProperties(
    Path kubeconfig,
    String context,
    @DefaultValue("anyshare") @NotBlank String appNamespaceFallback,
    @DefaultValue("resource") @NotBlank String resourceNamespace,
    @DefaultValue("20s") Duration requestTimeout,
    Map<String, String> members) {

  @ConstructorBinding
  public KubernetesProperties {
    members = members == null ? Map.of() : Map.copyOf(members);
  }

  /** Without member clusters. */
  public KubernetesProperties(Path kubeconfig, String context, String appNamespaceFallback, String resourceNamespace,
      Duration requestTimeout) {
    this(kubeconfig, context, appNamespaceFallback, resourceNamespace, requestTimeout, Map.of());
  }
}
