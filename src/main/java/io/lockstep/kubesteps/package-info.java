/**
 * Steps that act on the platform's Kubernetes API: the {@code k8s.*} and {@code wait.*} executors
 * of {@code config/procedures/README.md} (scale with recorded replicas, cordon, drain through the
 * Eviction API, node checks, JSON merge patches and deletions that record what they change) and the
 * waits for pods, workloads, nodes and deleted objects.
 *
 * <p>Every wait is a watch, never a poll: a fabric8 informer lists first and then watches from
 * that list's version, so no change between the two is missed, and it lists and watches again
 * when the API server closes the watch. A wait ends as soon as its condition holds (at once when
 * it already holds), and ends promptly, closing its watches, when the engine interrupts the step.
 *
 * <p>Names, kinds and selectors are checked before the first API call, so a step with a bad value
 * changes nothing. Before a step changes something it stores the original as an undo record of
 * the run, once: a rerun keeps what the first attempt recorded.
 */
package io.lockstep.kubesteps;
