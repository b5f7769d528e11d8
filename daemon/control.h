/*
 * vsensord: the control socket. Varlink clients (vsensorctl, varlinkctl)
 * call the methods of io.vsensor (docs/vsensord.md); anyone may read,
 * only root and members of group vsensor may change anything.
 */
#ifndef VSENSORD_CONTROL_H
#define VSENSORD_CONTROL_H

#include <stddef.h>

struct vsensord;
struct control;

/* Serve on @listen_fd (a listening AF_UNIX stream socket, taken). */
struct control *control_new(struct vsensord *d, int listen_fd);
void control_free(struct control *control);
size_t control_clients(const struct control *control);
/* A listening socket at @path (stale socket files are replaced). */
int control_listen(const char *path);

#endif /* VSENSORD_CONTROL_H */
