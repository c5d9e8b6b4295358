/**
 * Implementation classes shared by emotion4j's modules. No compatibility promise: hosts and backend
 * authors should not use them.
 */
package io.github.emotion4j.internal;
