/* yamlev.h - reading libyaml's events one way, for the front matter
 * (meta.c, which defines it) and the vault's settings (vault.c).
 *
 * Ownership: the event is the caller's to delete when true is returned.
 */
#ifndef QUIRE_YAMLEV_H
#define QUIRE_YAMLEV_H

#include <stdbool.h>
#include <yaml.h>

/* The next event, or false at a syntax error: after one, libyaml hands
 * out empty events for ever. */
bool qyaml_next_event(yaml_parser_t *p, yaml_event_t *ev);

#endif
