// The slice of ncursesw that NcursesBackend uses, with the macros Swift cannot
// import (attributes, mouse masks, getmaxyx) exposed as static inline functions.
#ifndef QUANTSCOPE_CNCURSESW_SHIM_H
#define QUANTSCOPE_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline attr_t qs_attr_bold(void) { return A_BOLD; }
static inline attr_t qs_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t qs_attr_reverse(void) { return A_REVERSE; }
static inline attr_t qs_attr_dim(void) { return A_DIM; }
static inline attr_t qs_attr_normal(void) { return A_NORMAL; }

static inline mmask_t qs_mouse_all(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t qs_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t qs_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t qs_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t qs_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t qs_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t qs_button5_pressed(void) { return 0; }
#endif

static inline int qs_lines(void) { return LINES; }
static inline int qs_cols(void) { return COLS; }
static inline int qs_colors(void) { return COLORS; }
static inline WINDOW *qs_stdscr(void) { return stdscr; }

/// Draws one wide-character cell (with an optional combining mark, 0 for
/// none) with attributes and an (extended) colour pair.
static inline int qs_put_cell(int y, int x, wchar_t ch, wchar_t mark, attr_t attrs, int pair) {
    cchar_t cell;
    wchar_t text[3] = { ch, mark, 0 };
    setcchar(&cell, text, attrs, 0, &pair);
    return mvadd_wch(y, x, &cell);
}

/// Loads the terminfo entry named by $TERM for `fd` without touching the
/// tty's modes, so the explorer can refuse a terminal before taking it over.
/// Returns 1 when loaded, 0 for an unknown terminal, -1 when no terminfo
/// database was found, 2 for a hardcopy terminal.
static inline int qs_load_terminfo(int fd) {
    int err = 0;
    if (setupterm(NULL, fd, &err) == OK) return 1;
    return err == 1 ? 2 : err;
}

/// Frees what `qs_load_terminfo` loaded (newterm loads its own copy).
static inline void qs_unload_terminfo(void) {
    if (cur_term != NULL) del_curterm(cur_term);
}

#endif
