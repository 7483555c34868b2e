"""The original service's tables as an ORM maps them, so that its statements can be replayed.

The models follow tests/data/original_6883623fa6f0.sql, the dump of a database the original created
with its own `flask db upgrade`: the same tables, columns, types and nullability, and nothing this
service added. The original ran Flask-SQLAlchemy over SQLAlchemy 1.4 (Debian's python3-sqlalchemy);
the INSERT, UPDATE and SELECT statements SQLAlchemy emits for these models are the statements the
original sends while both services share the database: every INSERT names exactly these columns and
fills all of them in the application (the original has no database defaults).
"""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Text, create_engine, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session, declarative_base
from werkzeug.security import check_password_hash, generate_password_hash

Base = declarative_base()


class User(Base):
    __tablename__ = "user"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    email = Column(String, unique=True, nullable=False)
    password_hash = Column(String, nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    is_superuser = Column(Boolean, nullable=False, default=False)
    date_joined = Column(DateTime, default=datetime.utcnow)


class Profile(Base):
    __tablename__ = "profile"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), unique=True)
    first_name = Column(String)
    last_name = Column(String)
    phone = Column(String)


class LoginHistory(Base):
    __tablename__ = "login_histories"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"))
    user_agent = Column(String, nullable=False)
    authentication_date = Column(DateTime, nullable=False, default=datetime.utcnow)


class Role(Base):
    __tablename__ = "role"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    name = Column(String, unique=True, nullable=False)
    description = Column(String)


class UsersRoles(Base):
    __tablename__ = "usersroles"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), unique=True)
    role_id = Column(UUID(as_uuid=True), ForeignKey("role.id"))


class SocialAccount(Base):
    __tablename__ = "social_account"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    social_id = Column(Text, nullable=False)
    social_name = Column(Text, primary_key=True, nullable=False)


class Original:
    """What the original service does to the database, one method per use case."""

    def __init__(self, database_url: str):
        self.engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg2://", 1))

    def close(self):
        self.engine.dispose()

    def signup(self, email, password, first_name=None, last_name=None, phone=None) -> User:
        with Session(self.engine, expire_on_commit=False) as s:
            user = User(email=email, password_hash=generate_password_hash(password))
            s.add(user)
            s.flush()
            s.add(Profile(user_id=user.id, first_name=first_name, last_name=last_name, phone=phone))
            s.commit()
            return user

    def login(self, email, password, user_agent="python-requests") -> bool:
        """The original's login: its own lookup (the email as typed), its hash check, a history row."""
        with Session(self.engine) as s:
            user = s.execute(select(User).where(User.email == email)).scalars().first()
            if user is None or not check_password_hash(user.password_hash, password):
                return False
            s.add(LoginHistory(user_id=user.id, user_agent=user_agent))
            s.commit()
            return True

    def change_password(self, user_id, new_password):
        with Session(self.engine) as s:
            user = s.get(User, user_id)
            user.password_hash = generate_password_hash(new_password)
            s.commit()

    def change_profile(self, user_id, **fields):
        with Session(self.engine) as s:
            profile = s.execute(select(Profile).where(Profile.user_id == user_id)).scalars().one()
            for name, value in fields.items():
                setattr(profile, name, value)
            s.commit()

    def create_role(self, name, description=None) -> Role:
        with Session(self.engine, expire_on_commit=False) as s:
            role = Role(name=name, description=description)
            s.add(role)
            s.commit()
            return role

    def update_role(self, role_id, **fields):
        with Session(self.engine) as s:
            role = s.get(Role, role_id)
            for name, value in fields.items():
                setattr(role, name, value)
            s.commit()

    def assign_role(self, user_id, role_id):
        with Session(self.engine) as s:
            s.add(UsersRoles(user_id=user_id, role_id=role_id))
            s.commit()

    def role_of(self, user_id):
        with Session(self.engine) as s:
            row = s.execute(
                select(Role).join(UsersRoles, UsersRoles.role_id == Role.id).where(UsersRoles.user_id == user_id)
            ).scalars().first()
            return row.name if row else None

    def link_social(self, user_id, social_name, social_id):
        with Session(self.engine) as s:
            s.add(SocialAccount(user_id=user_id, social_id=social_id, social_name=social_name))
            s.commit()

    def user_by_email(self, email):
        with Session(self.engine, expire_on_commit=False) as s:
            return s.execute(select(User).where(User.email == email)).scalars().first()

    def history_of(self, user_id):
        with Session(self.engine) as s:
            rows = s.execute(
                select(LoginHistory).where(LoginHistory.user_id == user_id).order_by(LoginHistory.authentication_date.desc())
            ).scalars().all()
            return [(r.user_agent, r.authentication_date) for r in rows]
