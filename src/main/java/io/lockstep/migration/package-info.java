/**
 * The planner of P1 (procedure {@code proton-node-migration}): from the live inventory, a table of
 * every base-component replica and host-service data directory, measured over SSH; the operator
 * picks a target node and data path per replica; the rules of the issue are checked as the
 * operator edits and again whenever a plan of this procedure is stored ({@link
 * io.lockstep.run.PlanDataCheck}), whichever way it arrives. The plan data it writes is the
 * contract between planner, procedure and executors: {@code rows}, {@code old_nodes},
 * {@code new_nodes}, {@code app_namespace}, {@code control_node}, {@code final_control_node}.
 */
package io.lockstep.migration;
