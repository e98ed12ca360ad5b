from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from satupintu.accounts.scoping import desa_for
from satupintu.registry.selectors import households_for, people_for


@login_required
def home(request):
    user = request.user
    context = {"can_read_registry": user.can_read_registry}
    if user.can_read_registry:
        context.update(
            households=households_for(user).count(),
            people=people_for(user).count(),
            desa_count=desa_for(user).count(),
            by_status=households_for(user)
            .with_poverty()
            .values("poverty_result")
            .annotate(n=Count("id"))
            .order_by("poverty_result"),
        )
    return render(request, "core/home.html", context)
