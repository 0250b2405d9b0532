/* SPDX-License-Identifier: MIT */
#include "pic.h"
#include "x86.h"

#define PIC1_DATA	0x21	/* master 8259A, OCW1 */
#define PIC2_DATA	0xa1	/* slave 8259A, OCW1 */

void pic_mask_all(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
