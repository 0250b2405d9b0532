/* SPDX-License-Identifier: MIT */
#ifndef VOLLEY_CORE_PIC_H
#define VOLLEY_CORE_PIC_H

/*
 * Masks every line of both legacy 8259A PICs (OCW1 = 0xff to the master's
 * and the slave's data ports): no timer or device interrupt reaches a CPU
 * while volley measures. Harmless where there is no PIC (the writes go
 * nowhere).
 */
void pic_mask_all(void);

#endif
