/* SPDX-License-Identifier: MIT */
/* Rebuilt every time (GNUmakefile): `git describe` of the tree. */
const char volley_version[] = VOLLEY_VERSION;
