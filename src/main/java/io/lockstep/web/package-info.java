/**
 * Glue for pages that belong to no single feature: the login page and the model attributes every
 * page's layout needs (the current user and roles).
 */
package io.lockstep.web;
