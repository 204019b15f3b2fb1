/**
 * Cross-cutting ground every other module stands on: who may log in and with which roles
 * (OPERATOR, APPROVER, VIEWER), login throttling, personal API tokens, the clock, the locale.
 * Users come from configuration ({@code lockstep.security.users}); the console refuses to start
 * without any.
 *
 * <p>API tokens ({@code lst_…}, page {@code /tokens}, {@code /api/tokens}) let scripts call
 * {@code /api/**} as their owner without holding a password. Only the SHA-256 of a token is stored;
 * a token gets its owner's roles from the user store on every request, so removing a user from the
 * configuration disables their tokens. Creating and revoking one is audited.
 */
package io.lockstep.system;
