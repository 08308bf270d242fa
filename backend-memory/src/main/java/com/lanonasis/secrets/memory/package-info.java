/**
 * The in-memory backend ({@code memory:}): {@link com.lanonasis.secrets.memory.MemoryRecordStore}
 * and its provider. Meant as the fixture that replaces a production store in an application's
 * tests: same API, same encryption, same errors, no database.
 */
package com.lanonasis.secrets.memory;
