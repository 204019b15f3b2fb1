/**
 * Runs: a plan (procedure + parameter values, versioned by content hash) becomes a run whose
 * phases a second person approves one by one and whose steps the engine carries out through
 * {@link io.lockstep.run.StepExecutor executors}, recording every transition before and after its
 * effect so that a console restart resumes or stops for a decision, never repeats silently.
 */
package io.lockstep.run;
