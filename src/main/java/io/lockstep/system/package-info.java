/**
 * Cross-cutting ground every other module stands on: who may log in and with which roles
 * (OPERATOR, APPROVER, VIEWER), login throttling, the clock, the locale. Users come from
 * configuration ({@code lockstep.security.users}); the console refuses to start without any.
 */
package io.lockstep.system;
