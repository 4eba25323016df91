# Statistical tables in China group digits by three with a comma (12,854 户); Django's zh_Hans
# formats group by four with no separator, so counts showed as 12854. Only these two differ
# from Django's zh_Hans formats, which supply everything else.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
