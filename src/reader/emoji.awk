# emoji.awk - GitHub's emoji shortcodes as C initialisers for emoji.c,
# from goldmark-emoji's table of them (Debian's package
# golang-github-yuin-goldmark-emoji-dev, definition/github.go), one line
#     NewEmoji("description", []int32{cp, ...}, "name"),
# per emoji. Prints the initialiser {"name", {cp, ...}} of each; the
# Makefile sorts the lines (bytes, so by name, as strcmp does).
/NewEmoji\(/ {
	if (!match($0, /int32[{][0-9, ]*[}]/))
		next
	cps = substr($0, RSTART + 6, RLENGTH - 7)
	rest = substr($0, RSTART + RLENGTH)
	if (!match(rest, /"[^"]+"/))
		next
	name = substr(rest, RSTART + 1, RLENGTH - 2)
	gsub(/ /, "", cps)
	if (length(name) > 39) {   # emoji.c's name[40], its NUL included
		print "emoji.awk: shortcode longer than 39 bytes: " name > "/dev/stderr"
		exit 1
	}
	if (name ~ /^[a-z0-9_+-]+$/ && cps ~ /^[0-9]+(,[0-9]+)*$/)
		printf "\t{\"%s\", {%s}},\n", name, cps
}
