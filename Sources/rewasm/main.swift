#if WASI
print("WASI")
#endif
#if Threads
print("Threads")
#endif
#if UserSched
print("UserSched")
#endif
