/*
 * banned.h — functions this project never calls.
 *
 * Each is unbounded, not thread-safe, or silently wrong on bad input. Including this header
 * last in a .c file turns any use into a compile error that names the function. The
 * replacements: snprintf or a bounded buffer for sprintf/strcpy/strcat, strtol/strtoll with
 * end-pointer checks for atoi, strtok_r or explicit parsing for strtok, localtime_r/gmtime_r for
 * localtime/gmtime, fgets for gets.
 */
#ifndef JY_BANNED_H
#define JY_BANNED_H

#define JY_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) JY_BANNED(strcpy)
#undef strcat
#define strcat(x, y) JY_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) JY_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) JY_BANNED(strncat)
#undef sprintf
#define sprintf(...) JY_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) JY_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) JY_BANNED(strtok)
#undef atoi
#define atoi(x) JY_BANNED(atoi)
#undef atol
#define atol(x) JY_BANNED(atol)
#undef gets
#define gets(x) JY_BANNED(gets)
#undef localtime
#define localtime(x) JY_BANNED(localtime)
#undef gmtime
#define gmtime(x) JY_BANNED(gmtime)

#endif /* JY_BANNED_H */
