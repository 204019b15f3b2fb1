/**
 * Procedures as data: what a maintenance procedure is (parameters, phases, steps), where the
 * definitions come from and how their {@code ${…}} references are resolved.
 *
 * <p>A procedure is written in YAML; built-ins ship in {@code config/procedures/} (packaged as
 * {@code classpath:lockstep-config/procedures/}), users add theirs to the folder named by {@code
 * lockstep.procedure.user-dir}. Loading checks everything a person can get wrong and reports each
 * problem as {@code file:line: problem}. The model is immutable and every record re-checks its
 * own invariants, so a {@link io.lockstep.procedure.Procedure} in hand is always valid.
 *
 * <p>The engine ({@code run}) reads procedures from {@link io.lockstep.procedure.Procedures},
 * names the definition a run executes by its {@linkplain
 * io.lockstep.procedure.Procedure#contentHash() content hash}, supplies the executor types it
 * implements as a {@link io.lockstep.procedure.StepTypes} bean and resolves step parameters with
 * {@link io.lockstep.procedure.ParamResolver}. The executor types and their parameters are
 * catalogued in {@code config/procedures/README.md}.
 */
package io.lockstep.procedure;
