/**
 * The console's access to the platform's Kubernetes API through fabric8: one client, built from
 * the configured kubeconfig and context when first needed, so the console starts even while the
 * cluster is briefly unreachable. Also names the namespaces the procedures work in.
 */
package io.lockstep.kubernetes;
