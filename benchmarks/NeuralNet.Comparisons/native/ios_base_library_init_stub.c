/* std::ios_base_library_init() for a libstdc++ older than GCC 13 (see weaken-version.py). GCC 13 headers call it
   only to force the initialisation of the standard streams; an older libstdc++ initialises them on its own, so
   doing nothing is its whole job here. */
void _ZSt21ios_base_library_initv(void) {}
