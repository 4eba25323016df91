def navigation(request):
    from fupin.web.navigation import menu_for

    return {"nav_menu": menu_for(request)}
