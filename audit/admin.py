"""A "History" view for staff accounts and groups, like the other tracked models."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from audit.history import JobcenterHistoryAdmin

User = get_user_model()


class UserHistoryAdmin(JobcenterHistoryAdmin, UserAdmin):
    pass


class GroupHistoryAdmin(JobcenterHistoryAdmin, GroupAdmin):
    pass


admin.site.unregister(User)
admin.site.register(User, UserHistoryAdmin)
admin.site.unregister(Group)
admin.site.register(Group, GroupHistoryAdmin)
