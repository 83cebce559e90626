/*
 * bcryptprimitives.dll for Wine: ProcessPrng, which Wine 8 lacks.
 *
 * The Go runtime (1.22 and later) loads bcryptprimitives.dll from system32
 * at start and takes its random numbers from ProcessPrng; a Windows
 * program built by Go stops before main under a Wine without it. Windows
 * itself has the real DLL: this file only lets .ci/wine run the Windows
 * tests under Wine. RtlGenRandom (exported by advapi32 as
 * SystemFunction036) is Wine's own source of random bytes.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng fills data with len random bytes; it returns TRUE, as the
 * real one always does, unless RtlGenRandom fails. RtlGenRandom takes a
 * ULONG length: larger requests are made in pieces. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
