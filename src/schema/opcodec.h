/* opcodec.h - op lists to bytes and back.
 *
 * The compact binary form of an ag_oplist, so that the operations a
 * migration records can be kept between runs (src/migration/opcache.c)
 * instead of being recorded again by loading and running its object. The
 * form is private to one build of autogen: a cache written by another build
 * is thrown away, never decoded.
 */
#ifndef AUTOGEN_SCHEMA_OPCODEC_H
#define AUTOGEN_SCHEMA_OPCODEC_H

#include "../util/buf.h"
#include "op.h"

/* Append the encoding of every op of ops (not its hints) to out. */
void ag_oplist_encode(ag_buf *out, const ag_oplist *ops);
/* Append the ops encoded in data[0..len) to ops. False when the bytes are not
 * an encoding (ops may then hold some of them: discard it). */
bool ag_oplist_decode(ag_oplist *ops, const void *data, size_t len);

#endif
