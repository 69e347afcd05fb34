package awscreds

import (
	"errors"
	"os"
	"strings"
)

// SplitCommand splits a credential_process command line into a program
// and its arguments the way the AWS CLI does before it runs the program
// without a shell (botocore's compat_shell_split, Python's shlex.split in
// POSIX mode):
//
//   - words are separated by spaces, tabs and newlines;
//   - '...' keeps everything inside literally;
//   - "..." keeps everything inside, except that \" and \\ stand for " and \;
//   - outside quotes, a backslash makes the next character literal.
//
// aws-sdk-go-v2 instead runs the line with sh -c. So that a command means
// the same under both, what sh would treat differently is refused with an
// error naming it, rather than passed on as a literal: unquoted
// | & ; < > ( ) * ? [ ] { } and a # starting a word, $ or ` anywhere but in
// single quotes, ~user, and a NAME=value first word. A ~ or ~/... starting a
// word is expanded to the home directory, as sh does. For pipes, variables
// or redirections, put the command in a script and name the script.
func SplitCommand(line string) ([]string, error) {
	var (
		args    []string
		word    strings.Builder
		inWord  bool // a word has started (possibly empty: "")
		quoted  bool // the current word has a quoted part
		atStart = true
	)
	flush := func() error {
		if !inWord {
			return nil
		}
		w := word.String()
		if len(args) == 0 && !quoted {
			if i := strings.IndexByte(w, '='); i > 0 {
				return errors.New("the first word sets a variable (NAME=value), which needs a shell")
			}
		}
		args = append(args, w)
		word.Reset()
		inWord, quoted, atStart = false, false, true
		return nil
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("a single quote is not closed")
			}
			word.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord, quoted = true, true
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				switch line[j] {
				case '\\':
					if j+1 < len(line) && (line[j+1] == '"' || line[j+1] == '\\') {
						j++
					}
				case '$', '`':
					return nil, errors.New("a $ or ` inside double quotes would be expanded by a shell")
				}
				word.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, errors.New("a double quote is not closed")
			}
			i = j
			inWord, quoted = true, true
		case c == '\\':
			if i+1 >= len(line) {
				return nil, errors.New("the line ends with a backslash")
			}
			i++
			if line[i] == '\n' || line[i] == '\r' {
				// sh joins the lines; shlex keeps the line break.
				return nil, errors.New("a backslash before a line break means different things to a shell and to the AWS CLI")
			}
			word.WriteByte(line[i])
			inWord = true
		case c == '~' && atStart:
			rest := line[i+1:]
			if rest != "" && !strings.ContainsRune(" \t\n\r/", rune(rest[0])) {
				return nil, errors.New("~user is not supported; write the path out")
			}
			home, err := os.UserHomeDir()
			if err != nil || home == "" {
				return nil, errors.New("~ cannot be expanded: no home directory")
			}
			word.WriteString(home)
			inWord = true
		case c == '#' && atStart:
			return nil, errors.New("a # starting a word is a comment to a shell; quote it")
		case strings.IndexByte("|&;<>()$`*?[]{}", c) >= 0:
			return nil, errors.New("the unquoted character " + string(c) + " needs a shell; quote it, or put the command in a script")
		default:
			word.WriteByte(c)
			inWord = true
		}
		atStart = false
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(args) == 0 || args[0] == "" {
		return nil, errors.New("the command is empty")
	}
	return args, nil
}
