/**
 * The fields of a Linux `/proc/<pid>/stat` line from the third (state) on: they follow the
 * command name's closing parenthesis, and the name itself may hold spaces and parentheses. So
 * field n of proc(5) is at index n − 3 (utime 14 → 11, stime 15 → 12, starttime 22 → 19).
 */
export function procStatFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
