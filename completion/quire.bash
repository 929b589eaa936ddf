# bash completion for quire(1); installed as
# PREFIX/share/bash-completion/completions/quire.
_quire()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-o|--output)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-t|--to)
		local done=${cur%,*} last=${cur##*,} b
		[ "$done" = "$cur" ] && done="" || done="$done,"
		COMPREPLY=()
		for b in pdf epub apkg tree; do
			case $b in "$last"*) COMPREPLY+=("$done$b") ;; esac
		done
		return ;;
	--paper)
		COMPREPLY=($(compgen -W "a5 a4 letter" -- "$cur")); return ;;
	--epub-answers)
		COMPREPLY=($(compgen -W "inline popup" -- "$cur")); return ;;
	--from)
		COMPREPLY=($(compgen -W "notes commonmark" -- "$cur")); return ;;
	--cloze)
		COMPREPLY=($(compgen -W "auto marked highlight" -- "$cur")); return ;;
	--cards)
		COMPREPLY=($(compgen -W "auto questions headings outline none" -- "$cur")); return ;;
	--resource-path)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--style|--card-style)
		COMPREPLY=($(compgen -f -X '!*.css' -- "$cur") $(compgen -d -- "$cur")); return ;;
	--booklet-style|--fonts)
		COMPREPLY=($(compgen -f -X '!*.conf' -- "$cur") $(compgen -d -- "$cur")); return ;;
	--title|--author|--lang|--deck|--book|--metadata|--card-separators)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-o --output -t --to --title --author --lang
			--questions --lint --strict -v --verbose -q --quiet --lifted --from
			--cards --card-separators --book --resource-path --metadata
			--paper --impose --booklet-style --fonts --epub-answers --style
			--deck --card-style --reversed --tag-sections --cloze --watch
			--print-share -h --help -V --version" -- "$cur"))
		return
	fi
	# notes files, or a folder of them (one book)
	COMPREPLY=($(compgen -f -X '!*.md' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _quire quire
