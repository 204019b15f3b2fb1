/**
 * Moving a stateful service across clusters joined by Kosmos (PROCEDURES.md P6): where each
 * replica of an operator-made MySQL cluster ({@code MysqlCluster}, {@code mysql.presslabs.org})
 * goes — a node of the host cluster or a member cluster — becomes the CR's tolerations, node
 * affinity and pod anti-affinity ({@code kosmos.place}); the primary's Service is exported from
 * the host and imported in the members ({@code kosmos.export}, checked by
 * {@code kosmos.check-export}); the replicas are watched until each runs where the plan says
 * ({@code kosmos.wait-placement}) — per place, not per replica, as the operator gives every replica
 * one pod spec; the database is asked a real query through the imported Service in each receiving
 * member, by the mysql client in the replica's container ({@code kosmos.query}); and imports a
 * member no longer needs are removed, recorded first ({@code kosmos.remove-stale-imports}), and can
 * be created again from the records ({@code kosmos.restore-imports}).
 */
@NullMarked
package io.lockstep.kosmos;

import org.jspecify.annotations.NullMarked;
